-- claim_due: ARGV prefix, kind, now, lease_s, limit.
-- Claims up to `limit` due keys, earliest first, by moving each to now + lease_s (not
-- removing it): unless `confirm` removes it, it is due again when the lease runs out.
-- Returns {lease_until, key, key, ...}.
local zkey = ARGV[1] .. 'due:' .. ARGV[2]
local due = redis.call('ZRANGEBYSCORE', zkey, '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[5]))
local lease_until = string.format('%.17g', tonumber(ARGV[3]) + tonumber(ARGV[4]))
for _, key in ipairs(due) do
  redis.call('ZADD', zkey, lease_until, key)
end
table.insert(due, 1, lease_until)
return due
