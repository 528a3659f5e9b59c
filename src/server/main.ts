// The server's entry (`npm start`): Parley from this process's environment.
import { serve } from './serve.ts';

await serve(process.env);
