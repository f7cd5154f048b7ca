-- accept: ARGV prefix, conversation id, expert id, now. Returns an AcceptResult.
local prefix, conv, id, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local state = redis.call('HGET', prefix .. 'conv:' .. conv, 'state')
local capacity = redis.call('HGET', prefix .. 'expert:' .. id, 'capacity')
if not state or not capacity then
  return 'not_found'
end
local queue = prefix .. 'queue'
if state ~= 'waiting' or not redis.call('LPOS', queue, conv) then
  return 'taken'
end
if redis.call('LLEN', prefix .. 'expert_chats:' .. id) >= tonumber(capacity) then
  return 'at_capacity'
end
redis.call('LREM', queue, 1, conv)
assign(prefix, conv, id, now)
return 'ok'
