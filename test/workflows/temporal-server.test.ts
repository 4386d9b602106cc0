import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared';
import { stackEnv } from '../helpers/stack-env';

describe('the Temporal server the platform runs on', () => {
  it('has every custom search attribute registered as Keyword', async () => {
    const connection = await Connection.connect({ address: stackEnv.temporalAddress });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: stackEnv.namespace });
      for (const name of SEARCH_ATTRIBUTES) {
        // IndexedValueType 2 = KEYWORD
        expect({ name, type: customAttributes?.[name] }).toEqual({ name, type: 2 });
      }
    } finally {
      await connection.close();
    }
  });
});
