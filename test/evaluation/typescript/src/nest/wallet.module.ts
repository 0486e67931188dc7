import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  OnModuleDestroy,
  Param,
  Post,
} from "@nestjs/common";
import { PrismaClient } from "@prisma/client";

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  async onModuleDestroy() {
    await this.$disconnect();
  }
}

@Injectable()
export class WalletService {
  private readonly balances = new Map<string, number>();
  private payoutsInFlight = 0;

  constructor(private readonly prisma: PrismaService) {}

  async balanceOf(userId: string): Promise<number> {
    if (!this.balances.has(userId)) {
      const wallet = await this.prisma.wallet.findUniqueOrThrow({ where: { userId } });
      this.balances.set(userId, wallet.balance);
    }
    return this.balances.get(userId)!;
  }

  async pay(userId: string, amount: number, merchant: string): Promise<number> {
    await this.balanceOf(userId);
    if (this.balances.get(userId)! < amount) {
      throw new BadRequestException("insufficient funds");
    }
    await this.prisma.payment.create({ data: { userId, amount, merchant } });
    this.balances.set(userId, this.balances.get(userId)! - amount);
    return this.balances.get(userId)!;
  }

  async credit(userId: string, amount: number, reason: string): Promise<void> {
    await this.balanceOf(userId);
    const current = this.balances.get(userId)!;
    await this.prisma.credit.create({ data: { userId, amount, reason } });
    this.balances.set(userId, current + amount);
  }

  async payout(userId: string, amount: number): Promise<void> {
    this.payoutsInFlight++;
    try {
      await this.prisma.$transaction([
        this.prisma.wallet.update({ where: { userId }, data: { balance: { decrement: amount } } }),
        this.prisma.payout.create({ data: { userId, amount } }),
      ]);
      const fresh = await this.prisma.wallet.findUniqueOrThrow({ where: { userId } });
      this.balances.set(userId, fresh.balance);
    } finally {
      this.payoutsInFlight--;
    }
  }
}

@Controller("wallets")
export class WalletController {
  constructor(private readonly wallets: WalletService) {}

  @Get(":userId")
  async balance(@Param("userId") userId: string) {
    return { balance: await this.wallets.balanceOf(userId) };
  }

  @Post(":userId/pay")
  async pay(@Param("userId") userId: string, @Body() body: { amount: number; merchant: string }) {
    const remaining = await this.wallets.pay(userId, body.amount, body.merchant);
    return { remaining };
  }

  @Post(":userId/credit")
  async credit(@Param("userId") userId: string, @Body() body: { amount: number; reason: string }) {
    await this.wallets.credit(userId, body.amount, body.reason);
    return { ok: true };
  }

  @Get(":userId/history")
  async history(@Param("userId") userId: string) {
    const prisma = new PrismaClient();
    try {
      return await prisma.payment.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50 });
    } finally {
      await prisma.$disconnect();
    }
  }
}

@Module({
  controllers: [WalletController],
  providers: [PrismaService, WalletService],
})
export class WalletModule {}
