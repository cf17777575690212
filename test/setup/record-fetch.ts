// Per test file: answers a test reads with fetch from a platform on loopback are recorded too.
import { recordGlobalFetch } from '../helpers/responses.js';

recordGlobalFetch();
