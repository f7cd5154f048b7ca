-- visitor_attached: ARGV prefix, conversation id. Returns the visitor connection count.
local ckey = ARGV[1] .. 'conv:' .. ARGV[2]
if redis.call('EXISTS', ckey) == 0 then
  return 0
end
return redis.call('HINCRBY', ckey, 'visitors', 1)
