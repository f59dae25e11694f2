"""Downloads of the measure list as a spreadsheet (.xlsx with the progress updates, or CSV)."""

from django.http import Http404

from ..filters import MeasureFilter
from ..models import Measure, ProgressUpdate
from ..spreadsheets import files


def measure_export(request, fmt):
    """Download the measures the user may see, filtered by the list's GET parameters."""
    if fmt not in files.FORMATS:
        raise Http404("Unknown format")
    measures = Measure.objects.visible_to(request.user).for_list()
    measures = MeasureFilter(request.GET, queryset=measures, request=request).qs
    updates = None
    if fmt == "xlsx":
        updates = ProgressUpdate.objects.visible_to(request.user).filter(measure__in=measures)
    sheets = files.measures_workbook(measures, updates)
    return files.spreadsheet_response(sheets, fmt, "maatregelen")
