// The smallest workflow there is: the ceiling of bench/flows.ts starts it as fast as it can.
export async function noopWorkflow(): Promise<void> {}
