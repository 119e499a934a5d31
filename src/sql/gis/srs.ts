/**
 * The spatial reference systems refmysqld knows. MySQL ships about 5000 EPSG definitions in
 * its data dictionary; we keep the three every tutorial and most applications use: SRID 0
 * (the unitless Cartesian plane), 4326 (WGS 84, geographic, latitude first) and 3857 (WGS 84
 * Pseudo-Mercator, projected, computed on the plane like SRID 0). Any other SRID is "not found"
 * (3548), as an SRID missing from MySQL's dictionary is.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/spatial-reference-systems.html
 * @req CORE-GIS-005 CORE-GIS-006
 */
import { sqlError } from '../../kernel/errors.js';

export interface Srs {
  id: number;
  name: string;
  organization: string | null;
  organizationId: number | null;
  /** Geographic (on the ellipsoid) rather than Cartesian/projected. */
  geographic: boolean;
  /** The SRS's axis order puts latitude first (WKT and WKB input and output are swapped). */
  latFirst: boolean;
  /** WGS 84 ellipsoid: semi-major axis in metres and inverse flattening. */
  semiMajor?: number;
  inverseFlattening?: number;
  definition: string;
  description: string | null;
}

const WGS84_A = 6378137;
const WGS84_INV_F = 298.257223563;

/** @req CORE-GIS-005 */
export const SPATIAL_REFERENCE_SYSTEMS: readonly Srs[] = [
  { id: 0, name: '', organization: null, organizationId: null, geographic: false, latFirst: false, definition: '', description: null },
  {
    id: 3857, name: 'WGS 84 / Pseudo-Mercator', organization: 'EPSG', organizationId: 3857, geographic: false, latFirst: false,
    definition: 'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["World Geodetic System 1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.017453292519943278,AUTHORITY["EPSG","9122"]],AXIS["Lat",NORTH],AXIS["Lon",EAST],AUTHORITY["EPSG","4326"]],PROJECTION["Popular Visualisation Pseudo Mercator",AUTHORITY["EPSG","1024"]],PARAMETER["Latitude of natural origin",0,AUTHORITY["EPSG","8801"]],PARAMETER["Longitude of natural origin",0,AUTHORITY["EPSG","8802"]],PARAMETER["False easting",0,AUTHORITY["EPSG","8806"]],PARAMETER["False northing",0,AUTHORITY["EPSG","8807"]],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["X",EAST],AXIS["Y",NORTH],AUTHORITY["EPSG","3857"]]',
    description: null,
  },
  {
    id: 4326, name: 'WGS 84', organization: 'EPSG', organizationId: 4326, geographic: true, latFirst: true,
    semiMajor: WGS84_A, inverseFlattening: WGS84_INV_F,
    definition: 'GEOGCS["WGS 84",DATUM["World Geodetic System 1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.017453292519943278,AUTHORITY["EPSG","9122"]],AXIS["Lat",NORTH],AXIS["Lon",EAST],AUTHORITY["EPSG","4326"]]',
    description: null,
  },
];

const BY_ID = new Map(SPATIAL_REFERENCE_SYSTEMS.map((s) => [s.id, s]));

/** The SRS with this id, or null when we do not know it. */
export function findSrs(srid: number): Srs | null {
  return BY_ID.get(srid) ?? null;
}

/** The SRS with this id; 3548 when unknown. @req CORE-GIS-006 */
export function requireSrs(srid: number): Srs {
  const s = BY_ID.get(srid);
  if (!s) throw sqlError('ER_SRS_NOT_FOUND', srid);
  return s;
}
