//! Working days (rules.md): weekdays minus holidays plus make-up workdays, from calendar/<year>.yaml.
//! Years without a calendar count weekends only; the caller warns about that once.

use super::common::Date;
use chrono::{Datelike, Days, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// calendar/<year>.yaml
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    pub year: i32,
    #[serde(default)]
    pub holidays: Vec<Date>,
    #[serde(default)]
    pub workdays: Vec<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, (BTreeSet<Date>, BTreeSet<Date>)>,
}

impl Calendar {
    pub fn new(years: impl IntoIterator<Item = CalendarYear>) -> Calendar {
        let years = years
            .into_iter()
            .map(|y| (y.year, (y.holidays.into_iter().collect(), y.workdays.into_iter().collect())))
            .collect();
        Calendar { years }
    }

    pub fn knows_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn is_workday(&self, day: Date) -> bool {
        let weekend = matches!(day.0.weekday(), Weekday::Sat | Weekday::Sun);
        match self.years.get(&day.year()) {
            Some((holidays, workdays)) => {
                if workdays.contains(&day) {
                    true
                } else {
                    !weekend && !holidays.contains(&day)
                }
            }
            None => !weekend,
        }
    }

    /// Working days in `from..=to` (0 when `to < from`).
    pub fn workdays_inclusive(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from.0;
        while d <= to.0 {
            if self.is_workday(Date(d)) {
                n += 1;
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(next) => next,
                None => break,
            };
        }
        n
    }

    /// Working days strictly after `from` up to and including `to`.
    pub fn workdays_after(&self, from: Date, to: Date) -> u32 {
        match from.0.checked_add_days(Days::new(1)) {
            Some(next) => self.workdays_inclusive(Date(next), to),
            None => 0,
        }
    }

    /// Years in `from..=to` this calendar has no file for.
    pub fn missing_years(&self, from: Date, to: Date) -> Vec<i32> {
        (from.year()..=to.year()).filter(|y| !self.knows_year(*y)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn holidays_and_make_up_days_count_correctly() {
        let cal = Calendar::new([CalendarYear {
            year: 2025,
            holidays: vec![d("2025-10-01"), d("2025-10-02"), d("2025-10-03"), d("2025-10-06")],
            workdays: vec![d("2025-09-28"), d("2025-10-11")],
        }]);
        // 2025-09-28 is a Sunday make-up workday; Oct 1-3 and 6 are holidays; Oct 4-5 weekend.
        assert!(cal.is_workday(d("2025-09-28")));
        assert!(!cal.is_workday(d("2025-10-01")));
        // Workdays: Sep 28 (make-up), 29, 30 and Oct 7.
        assert_eq!(cal.workdays_inclusive(d("2025-09-28"), d("2025-10-07")), 4);
    }

    #[test]
    fn years_without_a_calendar_count_weekdays() {
        let cal = Calendar::default();
        // Monday 2030-01-07 .. Sunday 2030-01-13: five weekdays.
        assert_eq!(cal.workdays_inclusive(d("2030-01-07"), d("2030-01-13")), 5);
        assert_eq!(cal.workdays_after(d("2030-01-07"), d("2030-01-08")), 1);
        assert_eq!(cal.missing_years(d("2029-12-01"), d("2030-01-01")), vec![2029, 2030]);
    }
}
