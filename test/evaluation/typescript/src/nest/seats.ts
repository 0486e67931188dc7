import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  Injectable,
  Param,
  Post,
} from "@nestjs/common";
import { Mutex } from "async-mutex";
import { PaymentsClient } from "../payments/payments.client";

type Hold = { userId: string; expiresAt: number };

@Injectable()
export class SeatService {
  static bookingsToday = 0;

  private readonly holds = new Map<string, Hold>();
  private readonly sold = new Set<string>();
  private readonly lock = new Mutex();

  constructor(private readonly payments: PaymentsClient) {}

  private key(showId: string, seat: string) {
    return `${showId}:${seat}`;
  }

  async book(showId: string, seat: string, userId: string, cardToken: string): Promise<string> {
    const k = this.key(showId, seat);
    if (this.sold.has(k)) {
      throw new ConflictException("seat already sold");
    }
    const receipt = await this.payments.charge(cardToken, 4500);
    this.sold.add(k);
    SeatService.bookingsToday++;
    return receipt.id;
  }

  async hold(showId: string, seat: string, userId: string): Promise<Hold> {
    return this.lock.runExclusive(async () => {
      const k = this.key(showId, seat);
      const existing = this.holds.get(k);
      if (this.sold.has(k) || (existing && existing.expiresAt > Date.now())) {
        throw new ConflictException("seat unavailable");
      }
      await this.payments.preauthorize(userId, 4500);
      const hold = { userId, expiresAt: Date.now() + 10 * 60_000 };
      this.holds.set(k, hold);
      return hold;
    });
  }

  async release(showId: string, seat: string): Promise<void> {
    const k = this.key(showId, seat);
    const hold = this.holds.get(k);
    if (!hold) return;
    this.holds.delete(k);
    await this.payments.voidPreauthorization(hold.userId);
  }

  available(showId: string, seats: string[]): string[] {
    return seats.filter((s) => !this.sold.has(this.key(showId, s)) && !this.holds.has(this.key(showId, s)));
  }
}

@Controller("shows/:showId/seats")
export class SeatController {
  private lastBookingAt = 0;
  private bookingsServed = 0;

  constructor(private readonly seats: SeatService) {}

  @Get()
  list(@Param("showId") showId: string, @Body() body: { seats: string[] }) {
    return { available: this.seats.available(showId, body.seats) };
  }

  @Post(":seat/hold")
  async hold(@Param("showId") showId: string, @Param("seat") seat: string, @Body() body: { userId: string }) {
    return this.seats.hold(showId, seat, body.userId);
  }

  @Post(":seat/book")
  async book(
    @Param("showId") showId: string,
    @Param("seat") seat: string,
    @Body() body: { userId: string; cardToken: string },
  ) {
    const served = this.bookingsServed;
    const receipt = await this.seats.book(showId, seat, body.userId, body.cardToken);
    this.bookingsServed = served + 1;
    this.lastBookingAt = Date.now();
    return { receipt };
  }

  @Delete(":seat/hold")
  async release(@Param("showId") showId: string, @Param("seat") seat: string) {
    await this.seats.release(showId, seat);
    return { released: true };
  }
}
