// Invented people: common English forenames and surnames drawn at random, so no
// demo pupil or member of staff is a real person.
export const GIRLS = [
  "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie", "Sophia",
  "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn", "Phoebe", "Sofia", "Evie",
  "Aisha", "Zara", "Maryam", "Amara", "Hannah", "Chloe", "Ruby", "Matilda", "Harper", "Layla", "Nia", "Priya",
] as const;

export const BOYS = [
  "Muhammad", "Noah", "Oliver", "George", "Leo", "Arthur", "Oscar", "Theodore", "Freddie", "Theo", "Archie", "Henry",
  "Alfie", "Charlie", "Finley", "Jack", "Jacob", "Lucas", "Isaac", "Tommy", "Ethan", "Joshua", "Reuben", "Harry",
  "Kwame", "Tariq", "Ibrahim", "Daniel", "Samuel", "Adam", "Yusuf", "Arjun", "Mason", "Luca", "Kai", "Elijah",
] as const;

export const SURNAMES = [
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
  "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood",
  "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison",
  "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
  "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins",
  "Morgan", "Kelly", "Begum", "Miller", "Cox", "Hussain", "Marshall", "Simpson", "Price", "Anderson", "Adams",
  "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis", "Murphy", "Chapman", "Mason", "Gray", "Richards", "Webb",
  "Okafor", "Mensah", "Nowak", "Kowalski", "Osei", "Adeyemi", "Chowdhury", "Rahman", "Nguyen",
] as const;

/** Common short forms, for the few pupils known by a preferred forename. */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  Olivia: "Liv", Isabella: "Bella", Florence: "Flo", Matilda: "Tilly", Evelyn: "Evie", Sophia: "Sophie",
  Oliver: "Ollie", Theodore: "Theo", Samuel: "Sam", Daniel: "Dan", Joshua: "Josh", Jacob: "Jake", Elijah: "Eli",
  Muhammad: "Mo", Ibrahim: "Ibby", Alfie: "Alf",
};
