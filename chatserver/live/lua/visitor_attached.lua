-- visitor_attached: ARGV prefix, conversation id, process id ('' = not recorded), content
-- TTL in ms. Returns the visitor connection count. The process's share is kept in
-- proc_visitors:{process} so that a dead process's sockets can be subtracted (claim_dead).
-- A living conversation's content TTL is renewed.
local ckey = ARGV[1] .. 'conv:' .. ARGV[2]
if not renew_content(ARGV[1], ARGV[2], ARGV[4]) then
  return 0
end
if ARGV[3] ~= '' then
  redis.call('HINCRBY', ARGV[1] .. 'proc_visitors:' .. ARGV[3], ARGV[2], 1)
end
return redis.call('HINCRBY', ckey, 'visitors', 1)
