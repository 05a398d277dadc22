// `npm run --silent keys`: fresh secrets for .env, one setting a line (`npm run --silent keys >> .env`):
// CREDENTIALS_KEY, 32 random bytes in base64 (the AES-256-GCM key of stored tokens), and ADMIN_TOKEN,
// 32 random bytes in hex (64 characters; the admin API wants at least 32). Printed, never stored.
import { randomBytes } from 'node:crypto';

console.log(`CREDENTIALS_KEY=${randomBytes(32).toString('base64')}`);
console.log(`ADMIN_TOKEN=${randomBytes(32).toString('hex')}`);
