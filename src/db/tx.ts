import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** A repository function takes either the client or an open transaction. */
export type Tx = Prisma.TransactionClient | PrismaClient;
export type { PrismaClient };
