/* Express 5 under Narwhal: export the app; it is a (req, res, next) request listener.
   Run it: npx narwhal -w 2 app.js */
import express from 'express';

const app = express();
app.use(express.json());

app.get('/json', (req, res) => res.json({ framework: 'express', pid: process.pid }));
app.post('/echo', (req, res) => res.json(req.body));
app.get('/error', () => {
  throw new Error('boom');
});

// Express's own error page shows the stack trace unless NODE_ENV=production: answer in JSON instead.
app.use((error, req, res, next) => {
  console.error(error);
  res.status(500).json({ error: 'Internal Server Error' });
});

export default app;
