from django.contrib import admin

from .models import Country, Currency, Mission, MissionJurisdiction, Region, Subdivision


class JurisdictionInline(admin.TabularInline):
    model = MissionJurisdiction
    extra = 0


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "city", "country", "hotline", "verified", "active")
    list_filter = ("type", "verified", "active")
    search_fields = ("name", "city", "code")
    inlines = (JurisdictionInline,)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("iso2", "name", "currency")
    search_fields = ("iso2", "name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "retired_at")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


admin.site.register(Subdivision)
admin.site.register(Currency)
