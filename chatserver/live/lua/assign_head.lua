-- assign_head: ARGV prefix, now, candidate ids...
-- Returns {conversation id, expert id}, or false when the queue is empty or nobody is eligible.
local prefix, now = ARGV[1], ARGV[2]
local queue = prefix .. 'queue'
local head = redis.call('LINDEX', queue, 0)
if not head then
  return false
end
local audience = redis.call('HGET', prefix .. 'conv:' .. head, 'audience')
if not audience then
  -- A dangling id (erase keeps the queue clean; this only guards the line from blocking).
  redis.call('LREM', queue, 1, head)
  return false
end
local id = pick(prefix, audience, tonumber(now), 3)
if not id then
  return false
end
redis.call('LPOP', queue)
assign(prefix, head, id, now)
return { head, tonumber(id) }
