-- CreateTable
CREATE TABLE "im_channels" (
    "user_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "im_channels_pkey" PRIMARY KEY ("user_id")
);
