-- claim_due: ARGV prefix, kind, now. Removes and returns the due keys, earliest first.
local zkey = ARGV[1] .. 'due:' .. ARGV[2]
local due = redis.call('ZRANGEBYSCORE', zkey, '-inf', ARGV[3])
for _, key in ipairs(due) do
  redis.call('ZREM', zkey, key)
end
return due
