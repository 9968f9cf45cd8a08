//! Who is asking: the station a request's bearer credential names.

/// A request's authenticated station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationAuth {
    pub station_id: String,
    pub station_name: String,
    pub office_id: String,
}
