"""Socket.IO: the ``/visitor`` and ``/staff`` namespaces and the server set-up."""
