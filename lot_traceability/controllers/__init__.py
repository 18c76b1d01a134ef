from . import digital_link
from . import report
