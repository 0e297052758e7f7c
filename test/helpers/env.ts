// Tests never read a developer's .env and never log unless asked.
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
