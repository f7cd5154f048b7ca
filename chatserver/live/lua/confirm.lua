-- confirm: ARGV prefix, kind, key, lease_until. Removes a handled deadline only if it still
-- stands at its claim's lease_until: one scheduled again, or claimed again after the lease
-- ran out, is kept. Returns 1 if removed.
local zkey = ARGV[1] .. 'due:' .. ARGV[2]
local at = redis.call('ZSCORE', zkey, ARGV[3])
if at and tonumber(at) == tonumber(ARGV[4]) then
  redis.call('ZREM', zkey, ARGV[3])
  return 1
end
return 0
