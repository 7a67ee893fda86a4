// The phases of education an academy provides, as Get Information About
// Schools lists them (mirrors the database's enum Phase).
export type PhaseName = "NURSERY" | "PRIMARY" | "MIDDLE" | "SECONDARY" | "ALL_THROUGH" | "SPECIAL" | "ALTERNATIVE_PROVISION" | "SIXTH_FORM";
