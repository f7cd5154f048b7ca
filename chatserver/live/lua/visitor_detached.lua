-- visitor_detached: ARGV prefix, conversation id. Returns the remaining count (never below 0).
local ckey = ARGV[1] .. 'conv:' .. ARGV[2]
local visitors = redis.call('HGET', ckey, 'visitors')
if not visitors then
  return 0
end
visitors = math.max(0, tonumber(visitors) - 1)
redis.call('HSET', ckey, 'visitors', visitors)
return visitors
