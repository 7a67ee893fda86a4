// Staverton CE Primary School: Appendix A to the Peterborough Diocese
// Education Trust attendance policy, February 2023 (seed 004).
import { definePolicyPlugin } from "@attendance/core";

export default definePolicyPlugin({
  name: "academy-staverton",
  layer: "academy",
  document: "Staverton CE Primary School, Appendix A1 to the PDET Attendance Policy (February 2023), seed 004",
  settings: {
    "registerTimes.AM": {
      value: { starts: "08:45", lateAfter: "08:50", closes: "09:20" },
      passage: "Appendix A1 Times: \"Registration session opens: 8:45 am\", \"Register closes: 8:50 am\"; Procedure for Lateness: \"'Late' if they arrive … after the register has been taken at 8:50 … after 9:20 am it will be marked as unauthorised.\"",
    },
    "registerTimes.PM": {
      value: { starts: "13:00", lateAfter: "13:00", closes: "13:30" },
      passage: "Appendix A1 Times: \"Afternoon Session start time: 1:00 pm\". The Appendix publishes no afternoon close; the trust policy's own rule is used: \"The attendance register will close 30 minutes after the start of the academy's morning session\" (PDET Attendance Policy, Punctuality and Lateness), applied to the afternoon start.",
    },
    "absenceReporting.window": {
      value: { from: "08:30", to: "08:50" },
      passage: "Appendix A1, Process for Notification of Unplanned Absence: \"the Parent/Carer should ring the school office between 8:30 am and 8:50 am\"",
    },
  },
});
