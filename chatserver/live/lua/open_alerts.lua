-- open_alerts: ARGV prefix, now. Drops expired alerts; returns the JSON of the open ones.
local prefix = ARGV[1]
local zkey = prefix .. 'alerts'
for _, old in ipairs(redis.call('ZRANGEBYSCORE', zkey, '-inf', ARGV[2])) do
  redis.call('DEL', prefix .. 'alert:' .. old)
end
redis.call('ZREMRANGEBYSCORE', zkey, '-inf', ARGV[2])
local open = {}
for _, id in ipairs(redis.call('ZRANGE', zkey, 0, -1)) do
  local raw = redis.call('GET', prefix .. 'alert:' .. id)
  if raw then
    open[#open + 1] = raw
  else
    redis.call('ZREM', zkey, id)
  end
end
return open
