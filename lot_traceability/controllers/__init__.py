from . import digital_link
from . import report
from . import recall_notice
