// Thurrock Council: penalty notices as the ATT template of September 2021
// restates them (seed 003, 8.3.1). The amounts predate the national framework
// of August 2024: from 19 August 2024 the national amounts apply.
import { definePolicyPlugin } from "@attendance/core";

const PASSAGE = '8.3.1: "If issued with a penalty notice, parents must pay £60 within 21 days or £120 within 28 days."';

export default definePolicyPlugin({
  name: "la-thurrock",
  layer: "localAuthority",
  document: "Penalty notices as restated in the ATT attendance policy (September 2021), seed 003",
  settings: {
    "penaltyNotice.firstAmountWithin21Days": { value: 60, passage: PASSAGE },
    "penaltyNotice.firstAmountWithin28Days": { value: 120, passage: PASSAGE },
  },
});
