-- visitor_detached: ARGV prefix, conversation id, process id ('' = not recorded), content
-- TTL in ms. Returns the remaining count (never below 0). A socket whose process was already
-- released as dead (its share is gone) is not subtracted twice. A living conversation's
-- content TTL is renewed, so its visitor_gone grace starts with a whole TTL.
local ckey = ARGV[1] .. 'conv:' .. ARGV[2]
local mine = true
if ARGV[3] ~= '' then
  local pkey = ARGV[1] .. 'proc_visitors:' .. ARGV[3]
  local held = tonumber(redis.call('HGET', pkey, ARGV[2]) or '0')
  mine = held > 0
  if held > 1 then
    redis.call('HINCRBY', pkey, ARGV[2], -1)
  elseif held == 1 then
    redis.call('HDEL', pkey, ARGV[2])
  end
end
local visitors = redis.call('HGET', ckey, 'visitors')
if not visitors then
  return 0
end
renew_content(ARGV[1], ARGV[2], ARGV[4])
if not mine then
  return tonumber(visitors)
end
visitors = math.max(0, tonumber(visitors) - 1)
redis.call('HSET', ckey, 'visitors', visitors)
return visitors
