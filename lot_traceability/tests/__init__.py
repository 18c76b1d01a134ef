from . import test_receive_lots_client
from . import test_shop_floor
