// Academies Transformation Trust: the trust's attendance policy of September
// 2021 (seed 003), which its academies adopt.
import { BASE_LEAVE_FORM, definePolicyPlugin } from "@attendance/core";

const HEADER = "«salutation»\n\n«address_block»\n\n«date_of_printing»\n\nDear «salutation»,";

// Appendix 7's templates, with its two blanks for staff made merge fields:
// "(insert academy name)" → «academy_name», "xx%" → «attendance_percent».
// "(Add/delete as appropriate)" paragraphs are kept; the academy edits them
// through its own settings.
const LETTERS = {
  "attendance-support": {
    title: "Attendance support: «chosen_forename» «surname»",
    body: `${HEADER}

I am writing with reference to «chosen_forename»'s recent absence(s) from the academy and to take this opportunity to give you some information regarding the provision we are able to make for students, should «chosen_forename» feel unable to attend in the future:

If a student is feeling a little unwell in the morning, they may well improve during the day and therefore, it is usually better to send them to the academy and we can provide a quiet working area until they feel able to re-join their classes.

We have a full time First Aider at «academy_name» that can assess the condition and, with your authorisation, administer medication should «chosen_forename» feel unwell after arriving at the academy.

Heads of House and Assistant Heads of House are always willing to support students and therefore should «chosen_forename» have any problems or issues that may prevent «him_her» from wanting to attend, please contact «academy_name» immediately so that these problems or issues can be resolved.

We have a strong network of staff here at «academy_name», and I am sure you will agree that whatever problem «chosen_forename» may encounter, there is support available to «him_her», to ensure regular attendance to the academy.

Yours sincerely,`,
  },
  "persistent-absence": {
    title: "Persistent absence: «chosen_forename» «surname»",
    body: `${HEADER}

Child's name: «chosen_forename» «surname»   Class: «form_name»

Your child's current attendance percentage is «attendance_percent».

The Government expects all children to achieve at least 95% attendance and states that if a child achieves less than 90% they are considered a 'Persistent Absentee' (PA).

Absence at this level can do considerable damage to your child's education and may seriously affect their learning. «academy_name» is committed to ensuring your child achieves their full potential and we recognise that this can only be achieved with your assistance and by your child's regular attendance.

The law is clear that it is parents/carers' responsibility to ensure their child attends school regularly. Please be aware therefore that your child's attendance will continue to be closely monitored.

«academy_name» want to work with you to help resolve any difficulties you may be having in ensuring your child's regular attendance. Please contact me to arrange a mutually convenient meeting.

Yours sincerely,`,
  },
  "initial-concern": {
    title: "Attendance concern: «chosen_forename» «surname»",
    body: `${HEADER}

I'm writing to you to express concern about «chosen_forename»'s attendance. As you may be aware, it is the legal responsibility of parents to ensure children attend school regularly.

We work with parents to improve attendance. Good attendance will mean that your child is able to achieve the best grades for their ability and have real opportunity in further education and the world of work.

If you wish to discuss the contents of this letter or your child's attendance please contact us.

Yours sincerely,`,
  },
};


export default definePolicyPlugin({
  name: "trust-academies-transformation-trust",
  layer: "trust",
  document: "Academies Transformation Trust, Attendance Policy (September 2021), seed 003",
  settings: {
    "rewards.groupOnly": { value: false, passage: '12.1: "Attendance prize draws each half term." "An Attendance Medal\'s Chart so students can see which medal they are achieving."' },
    "rewards.individualExpectation": {
      value: 0.98,
      passage: '11.2: "Students who achieve their targets, or meet the academy expectations of 98%, will be rewarded each half term."',
    },
    "letters.templates": { value: LETTERS, passage: "Appendix 7, Optional Templates for Letters: 7.1 Attendance Support, 7.2 PA Letter, 7.3 Initial Attendance Concern" },
    "leave.form": {
      value: [
        ...BASE_LEAVE_FORM,
        { name: "foreignTravel", label: "Does the leave involve foreign travel?", type: "BOOLEAN", required: true, maxLength: 2000 },
        { name: "travelDetails", label: "Proof of booking, flight information and contact details for the leave", type: "TEXT", required: false, maxLength: 2000 },
      ],
      passage: '6.3: "Parents are required to put their requests in writing"; 6.6: "When leave in term time is taken which involves foreign travel, we require parents to provide proof of booking time, flight information and contact information for the duration of the leave."',
    },
    "missingEducation.steps": {
      value: [
        { afterSchoolDays: 1, action: "First day calling: contact parents and listed emergency contacts", by: "Attendance officer" },
        { afterSchoolDays: 3, action: "Safe and well check (home visit) if no contact has been made", by: "Designated safeguarding lead" },
        { afterSchoolDays: 10, action: "Statutory notification / CME form to the local authority", by: "Attendance officer" },
        { afterSchoolDays: 20, action: "Consider removal from roll with the local authority (20 days in total from the first day of absence)", by: "Principal" },
      ],
      passage: '4.2 "We will contact parents and/or other listed emergency contacts where no contact has been made"; Appendix 6 "A safe and well check should always be conducted within three days"; Appendix 5: "The academy cannot remove a CME student from the academy\'s roll for a further ten days from the initial notification … (so 20 days in total from the first day of absence)"',
    },
  },
  hooks: {
    preAssessLeave(_policy, facts) {
      const decisions = [];
      if (facts.answers.purpose === "Family holiday") {
        decisions.push({
          verdict: "AGAINST" as const,
          rule: "leave.holiday",
          reason: "A holiday is not usually an exceptional circumstance.",
          passage: '6.2: "Holidays during term time will not usually be considered as exceptional circumstances."',
        });
      }
      if (facts.answers.foreignTravel === true && !facts.answers.travelDetails) {
        decisions.push({
          verdict: "AGAINST" as const,
          rule: "leave.travelDetails",
          reason: "Foreign travel without proof of booking, flight information and contact details.",
          passage: '6.6: "we require parents to provide proof of booking time, flight information and contact information for the duration of the leave."',
        });
      }
      return decisions;
    },
  },
});
