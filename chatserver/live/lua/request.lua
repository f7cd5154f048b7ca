-- request: ARGV prefix, conversation id, now, candidate ids...
-- Returns false (unknown conversation), {1, expert id} (assigned) or {0, position} (queued).
local prefix, conv, now = ARGV[1], ARGV[2], ARGV[3]
local audience = redis.call('HGET', prefix .. 'conv:' .. conv, 'audience')
if not audience then
  return false
end
local queue = prefix .. 'queue'
if redis.call('LLEN', queue) == 0 then
  local id = pick(prefix, audience, tonumber(now), 4)
  if id then
    assign(prefix, conv, id, now)
    return { 1, tonumber(id) }
  end
end
return { 0, redis.call('RPUSH', queue, conv) }
