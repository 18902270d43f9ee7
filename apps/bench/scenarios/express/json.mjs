/* json, served by Express 5: the same document through a router, res.json and Express's own
   response headers, as an API written with Express answers. */
import express from 'express';
import { buildDocument } from '../json.mjs';

const app = express();
app.get('/', (_req, res) => {
  res.json(buildDocument());
});

export default app;
