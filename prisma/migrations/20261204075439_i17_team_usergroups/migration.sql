-- CreateTable
CREATE TABLE "team_usergroups" (
    "usergroup_id" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_usergroups_pkey" PRIMARY KEY ("usergroup_id")
);
