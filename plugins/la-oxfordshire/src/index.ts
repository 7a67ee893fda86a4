// Oxfordshire County Council (the County Attendance Team): penalty notices as
// restated in St James CE Primary School's policy of September 2023 (seed 001,
// section 9). Its amounts predate the national framework of August 2024: from
// 19 August 2024 the national amounts apply, and the API shows both.
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "la-oxfordshire",
  layer: "localAuthority",
  document: "Oxfordshire County Attendance Team, as restated in seed 001 (September 2023)",
  settings: {
    "penaltyNotice.firstAmountWithin21Days": {
      value: 60,
      passage: '§9: "Payment within 21 days of receipt of notice is £60 and £120 if paid after this period but within 28 days."',
    },
    "penaltyNotice.firstAmountWithin28Days": {
      value: 120,
      passage: '§9: "Payment within 21 days of receipt of notice is £60 and £120 if paid after this period but within 28 days."',
    },
  },
});
