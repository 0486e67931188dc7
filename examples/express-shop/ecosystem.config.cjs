// PM2 runs the shop as four processes behind one port: every module-level Map exists four times.
module.exports = {
  apps: [
    {
      name: 'express-shop',
      script: 'dist/server.js',
      exec_mode: 'cluster',
      instances: 4,
      kill_timeout: 10000,
    },
  ],
};
