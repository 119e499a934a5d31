/**
 * Named limits of the spatial subsystem: how deep a geometry may nest, how many points one
 * geometry may hold, the earth radius ST_Distance_Sphere assumes and the geohash length bound.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-types.html
 * @req CORE-GIS-003 CORE-GIS-020 CORE-GIS-030
 */

/** Nesting depth of GEOMETRYCOLLECTIONs a WKB/WKT/GeoJSON value may have before it is refused (CORE-GIS-003). */
export const GIS_MAX_NESTING = 64;
/** Points a single geometry may hold before parsing stops with 3037 (CORE-GIS-003). */
export const GIS_MAX_POINTS = 16 * 1024 * 1024;
/** Mean earth radius in metres used by ST_Distance_Sphere when none is given (CORE-GIS-020). */
export const EARTH_RADIUS_DEFAULT = 6370986;
/** Longest geohash ST_GeoHash produces (CORE-GIS-030). */
export const GEOHASH_MAX_LENGTH = 100;
/** Bytes of the SRID prefix of the internal geometry format (CORE-GIS-002). */
export const SRID_PREFIX_BYTES = 4;
