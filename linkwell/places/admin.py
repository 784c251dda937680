"""Admin for place data: read-mostly, since `linkwell load_place` is the way data changes."""

from django.contrib import admin

from linkwell.places import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows come from files; editing them here would be overwritten by the next load."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "loaded_at", "source_dir"]


@admin.register(models.Constituency)
class ConstituencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "boundary_set", "place"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(models.Ward)
class WardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "constituency", "locality", "population"]
    list_filter = ["constituency"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(models.SmallArea)
class SmallAreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "vintage", "ward", "local_authority_name"]
    list_filter = ["vintage", "local_authority_name"]
    search_fields = ["code", "name", "msoa_name"]
    list_select_related = ["ward"]
    exclude = ["geometry"]


@admin.register(models.Deprivation)
class DeprivationAdmin(ReadOnlyAdmin):
    list_display = ["small_area", "edition", "imd_rank", "imd_decile"]
    list_filter = ["imd_decile"]
    search_fields = ["small_area__code", "small_area__name"]
    list_select_related = ["small_area"]


@admin.register(models.Postcode)
class PostcodeAdmin(ReadOnlyAdmin):
    list_display = ["postcode", "ward", "small_area", "latitude", "longitude"]
    search_fields = ["postcode"]
    list_select_related = ["ward", "small_area"]
    show_full_result_count = False


@admin.register(models.PrimaryCareNetwork)
class PrimaryCareNetworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "place"]
    search_fields = ["code", "name"]


@admin.register(models.GPPractice)
class GPPracticeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "postcode", "pcn", "ward", "in_district"]
    list_filter = ["in_district", "pcn"]
    search_fields = ["code", "name", "postcode"]
    list_select_related = ["pcn", "ward"]


@admin.register(models.AreaIndicator)
class AreaIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "area_type", "area_code", "area_name", "period", "value", "unit"]
    list_filter = ["area_type", "indicator"]
    search_fields = ["area_code", "area_name", "indicator"]


@admin.register(models.CommunityAsset)
class CommunityAssetAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "postcode", "ward"]
    list_filter = ["category"]
    search_fields = ["name", "postcode", "osm_ref"]
    list_select_related = ["ward"]
