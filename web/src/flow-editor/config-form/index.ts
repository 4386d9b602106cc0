// The form with its styles; tests import ./ConfigForm directly (jest does not load CSS).
import './config-form.css';

export { ConfigForm, type ConfigFormProps } from './ConfigForm';
export type { FormProblem } from './problems';
