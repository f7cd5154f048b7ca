-- Shared assignment, prepended to the scripts that give a chat to an expert.

-- Give conversation `conv` to expert `id`: its load and idle_since, the conversation's expert.
local function assign(prefix, conv, id, now)
  local ekey = prefix .. 'expert:' .. id
  redis.call('RPUSH', prefix .. 'expert_chats:' .. id, conv)
  redis.call('HSET', ekey, 'idle_since', now)
  local ckey = prefix .. 'conv:' .. conv
  redis.call('HSET', ckey, 'state', 'active', 'expert_id', id,
    'expert_name', redis.call('HGET', ekey, 'display_name'), 'was_answered', '1')
  redis.call('HSETNX', ckey, 'assigned_at', now)
end
