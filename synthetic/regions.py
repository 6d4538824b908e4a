"""The synthetic nation's regions (行政区划): provinces 99, 98 …, ten counties a city, forty cities a province.

Codes follow GB/T 2260's pattern (province 2 digits, city 2, county 2) in the 9x range, which no
real province uses; the first county is 990101.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthetic.names import city_name, county_name, province_name

COUNTIES_PER_CITY = 10
CITIES_PER_PROVINCE = 40
PROVINCE_CODES = tuple(range(99, 90, -1))
MAX_COUNTIES = len(PROVINCE_CODES) * CITIES_PER_PROVINCE * COUNTIES_PER_CITY


@dataclass(frozen=True)
class CountyPlace:
    """Where a county sits: its code and name, and its city's and province's."""

    index: int
    code: str
    name: str
    city_code: str
    city_name: str
    province_code: str
    province_name: str

    @property
    def short(self) -> str:
        """The one-character abbreviation of document numbers (合政办〔2024〕3号)."""
        return self.name[0]


def county_places(count: int) -> list[CountyPlace]:
    """The first `count` counties, in code order."""
    if count > MAX_COUNTIES:
        raise ValueError(f"at most {MAX_COUNTIES} counties")
    return [county_place(index) for index in range(count)]


def county_place(index: int) -> CountyPlace:
    city_index, county = divmod(index, COUNTIES_PER_CITY)
    province, city = divmod(city_index, CITIES_PER_PROVINCE)
    province_code = PROVINCE_CODES[province]
    return CountyPlace(
        index=index,
        code=f"{province_code}{city + 1:02d}{county + 1:02d}",
        name=county_name(index),
        city_code=f"{province_code}{city + 1:02d}00",
        city_name=city_name(city_index),
        province_code=f"{province_code}0000",
        province_name=province_name(province),
    )
