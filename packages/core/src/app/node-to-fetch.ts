// Placeholder until the emulation lands (issue 4): a Node listener cannot yet run on a Fetch-native class.
import { NarwhalError } from '../errors.js';
import type { FetchHandler, NodeListener } from './app.js';

export function nodeToFetchHandler(_listener: NodeListener): FetchHandler {
  throw new NarwhalError('NARWHAL_E_APP_INTERFACE', 'this worker class cannot run a Node request listener yet');
}
