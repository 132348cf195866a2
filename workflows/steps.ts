// The step vocabulary, as workflow code sees it: pure constants of the steps layer (steps/vocabulary.ts).
export * from '../steps/vocabulary';
