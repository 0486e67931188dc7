module.exports = {
  apps: [
    {
      name: "presence-api",
      script: "./dist/pm2/presence.js",
      instances: "max",
      exec_mode: "cluster",
      env_production: {
        NODE_ENV: "production",
        PORT: 3100,
      },
    },
  ],
};
