-- Data only, no schema change: events stored before this release kept Slack's whole envelope,
-- with its verification token and authorizations. Keep only what is stored now (SPEC.md section 8):
-- event_id, event_time, team_id and the event.
UPDATE slack_events
SET payload = (
  SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
  FROM jsonb_each(payload)
  WHERE key IN ('event_id', 'event_time', 'team_id', 'event'))
WHERE jsonb_typeof(payload) = 'object'
  AND EXISTS (SELECT 1 FROM jsonb_object_keys(payload) k WHERE k NOT IN ('event_id', 'event_time', 'team_id', 'event'));
