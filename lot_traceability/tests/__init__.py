from . import test_receive_lots_client
