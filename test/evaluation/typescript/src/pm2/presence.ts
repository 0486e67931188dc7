// Deployed with PM2 in cluster mode (see ecosystem.config.js at the repository root).
import express, { Request, Response } from "express";
import { Pool } from "pg";

const app = express();
app.use(express.json());

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });

type Presence = { userId: string; room: string; seenAt: number };

const online = new Map<string, Presence>();
const roomCounts: Record<string, number> = {};
const startedAt = Date.now();

app.post("/rooms/:room/join", async (req: Request, res: Response) => {
  const { userId } = req.body as { userId: string };
  const room = req.params.room;
  const { rows } = await pool.query("select 1 from room_members where room = $1 and user_id = $2", [room, userId]);
  if (rows.length === 0) {
    return res.status(403).json({ error: "not a member" });
  }
  if (!online.has(userId)) {
    roomCounts[room] = (roomCounts[room] ?? 0) + 1;
  }
  online.set(userId, { userId, room, seenAt: Date.now() });
  res.json({ room, online: roomCounts[room] });
});

app.post("/rooms/:room/leave", async (req: Request, res: Response) => {
  const { userId } = req.body as { userId: string };
  const room = req.params.room;
  const count = roomCounts[room] ?? 0;
  await pool.query("update room_members set last_left_at = now() where room = $1 and user_id = $2", [room, userId]);
  online.delete(userId);
  roomCounts[room] = Math.max(0, count - 1);
  res.sendStatus(204);
});

app.get("/rooms/:room", (req: Request, res: Response) => {
  const members = [...online.values()].filter((p) => p.room === req.params.room);
  res.json({ online: members.length, members: members.map((m) => m.userId) });
});

app.get("/healthz", (_req: Request, res: Response) => {
  res.json({ uptime: Date.now() - startedAt });
});

app.listen(Number(process.env.PORT ?? 3100));
