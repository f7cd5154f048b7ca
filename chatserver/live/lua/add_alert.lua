-- add_alert: ARGV prefix, alert id, alert JSON, expires_at, now, limit, expire_s.
-- Drops expired alerts, then keeps the new one unless `limit` are still open ('full').
-- The zset orders by expiry and is judged by the caller's `now` (as the memory store);
-- EXPIRE only keeps the JSON from outliving it in real time.
local prefix, id = ARGV[1], ARGV[2]
local zkey = prefix .. 'alerts'
for _, old in ipairs(redis.call('ZRANGEBYSCORE', zkey, '-inf', ARGV[5])) do
  redis.call('DEL', prefix .. 'alert:' .. old)
end
redis.call('ZREMRANGEBYSCORE', zkey, '-inf', ARGV[5])
if redis.call('ZCARD', zkey) >= tonumber(ARGV[6]) then
  return 'full'
end
redis.call('SET', prefix .. 'alert:' .. id, ARGV[3], 'EX', ARGV[7])
redis.call('ZADD', zkey, ARGV[4], id)
return 'ok'
