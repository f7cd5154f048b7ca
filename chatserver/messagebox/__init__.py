"""The message box: a visitor leaves a message when nobody can chat, and reads the answer
later with a pickup code (DESIGN.md "Message box"). The one place where text is stored in
the database, and therefore encrypted (sealing.py) and reachable only by the code (codes.py).
"""
