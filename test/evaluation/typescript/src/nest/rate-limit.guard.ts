import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Scope,
} from "@nestjs/common";
import { REQUEST } from "@nestjs/core";
import type { Request } from "express";
import { PlanService } from "../plans/plan.service";

type Window = { count: number; startedAt: number };

@Injectable()
export class RateLimitService {
  private readonly windows = new Map<string, Window>();
  private rejected = 0;

  constructor(private readonly plans: PlanService) {}

  async hit(apiKey: string): Promise<boolean> {
    const now = Date.now();
    const win = this.windows.get(apiKey);
    const count = win && now - win.startedAt < 60_000 ? win.count : 0;
    const limit = await this.plans.requestsPerMinute(apiKey);
    this.windows.set(apiKey, { count: count + 1, startedAt: win?.startedAt ?? now });
    if (count + 1 > limit) {
      this.rejected++;
      return false;
    }
    return true;
  }

  async reset(apiKey: string): Promise<void> {
    await this.plans.audit(apiKey, "rate-limit-reset");
    this.windows.delete(apiKey);
  }

  stats() {
    return { tracked: this.windows.size, rejected: this.rejected };
  }
}

@Injectable({ scope: Scope.REQUEST })
export class RequestQuota {
  private used = 0;
  private plan: string | null = null;

  constructor(@Inject(REQUEST) private readonly request: Request, private readonly plans: PlanService) {}

  async consume(units: number): Promise<number> {
    const before = this.used;
    this.plan = await this.plans.planFor(String(this.request.headers["x-api-key"]));
    this.used = before + units;
    return this.used;
  }

  get currentPlan() {
    return this.plan;
  }
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimitService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { apiKey?: string }>();
    const apiKey = String(req.headers["x-api-key"] ?? "anonymous");
    req.apiKey = apiKey;
    const allowed = await this.limiter.hit(apiKey);
    if (!allowed) {
      throw new HttpException("Too Many Requests", HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }
}
