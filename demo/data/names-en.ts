/** English (US) given names with the short forms people actually use, and family names. */
export interface GivenName {
  readonly name: string;
  readonly nicks: readonly string[];
}

export const EN_MALE: readonly GivenName[] = [
  ['Robert', 'Bob', 'Rob', 'Bobby'], ['William', 'Bill', 'Will', 'Billy'], ['James', 'Jim', 'Jimmy'],
  ['Michael', 'Mike'], ['Richard', 'Rick', 'Dick', 'Rich'], ['Thomas', 'Tom', 'Tommy'], ['Christopher', 'Chris'],
  ['Daniel', 'Dan', 'Danny'], ['Matthew', 'Matt'], ['Anthony', 'Tony'], ['Joseph', 'Joe', 'Joey'],
  ['Charles', 'Charlie', 'Chuck'], ['Steven', 'Steve'], ['Andrew', 'Andy', 'Drew'], ['Edward', 'Ed', 'Eddie', 'Ted'],
  ['Jonathan', 'Jon'], ['Benjamin', 'Ben'], ['Nicholas', 'Nick'], ['Samuel', 'Sam'], ['Timothy', 'Tim'],
  ['Kenneth', 'Ken'], ['Gregory', 'Greg'], ['Patrick', 'Pat'], ['Jeffrey', 'Jeff'], ['David', 'Dave'],
  ['John', 'Jack', 'Johnny'], ['Peter', 'Pete'], ['Ronald', 'Ron'], ['Donald', 'Don'], ['Alexander', 'Alex'],
  ['Joshua', 'Josh'], ['Jacob', 'Jake'], ['Nathan', 'Nate'], ['Zachary', 'Zach'], ['Frederick', 'Fred'],
  ['Lawrence', 'Larry'], ['Raymond', 'Ray'], ['Douglas', 'Doug'], ['Gerald', 'Jerry'], ['Henry', 'Hank'],
  ['Eugene', 'Gene'], ['Philip', 'Phil'], ['Walter', 'Walt'], ['Vincent', 'Vince'],
  ['Kevin'], ['Brian'], ['Jason'], ['Eric'], ['Mark'], ['Paul'], ['George'], ['Scott'], ['Ryan'], ['Gary'],
  ['Justin'], ['Brandon'], ['Tyler'], ['Aaron'], ['Adam'], ['Kyle'], ['Sean'], ['Carlos'], ['Luis'], ['Jose'],
].map(([name, ...nicks]) => ({ name: name!, nicks }));

export const EN_FEMALE: readonly GivenName[] = [
  ['Elizabeth', 'Liz', 'Beth', 'Betty'], ['Margaret', 'Maggie', 'Peggy', 'Meg'], ['Katherine', 'Kate', 'Kathy', 'Katie'],
  ['Jennifer', 'Jen', 'Jenny'], ['Patricia', 'Pat', 'Patty', 'Trish'], ['Susan', 'Sue', 'Susie'],
  ['Deborah', 'Debbie', 'Deb'], ['Rebecca', 'Becky'], ['Jessica', 'Jess', 'Jessie'], ['Barbara', 'Barb'],
  ['Christina', 'Chris', 'Tina'], ['Abigail', 'Abby'], ['Samantha', 'Sam'], ['Victoria', 'Vicky', 'Tori'],
  ['Alexandra', 'Alex'], ['Stephanie', 'Steph'], ['Kimberly', 'Kim'], ['Cynthia', 'Cindy'], ['Pamela', 'Pam'],
  ['Judith', 'Judy'], ['Theresa', 'Terri', 'Tess'], ['Emily', 'Em'], ['Amanda', 'Mandy'], ['Melissa', 'Missy'],
  ['Olivia', 'Liv'], ['Nicole', 'Nikki'], ['Sandra', 'Sandy'], ['Angela', 'Angie'], ['Isabella', 'Bella'],
  ['Evelyn', 'Evie'], ['Mary'], ['Linda'], ['Sarah'], ['Karen'], ['Nancy'], ['Lisa'], ['Michelle'], ['Laura'],
  ['Rachel'], ['Emma'], ['Ashley'], ['Megan'], ['Hannah'], ['Anna'], ['Grace'], ['Donna'], ['Carol'], ['Sharon'],
  ['Helen'], ['Amy'], ['Heather'], ['Maria'], ['Diana'], ['Rose'],
].map(([name, ...nicks]) => ({ name: name!, nicks }));

export const EN_SURNAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
  'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes',
  "O'Brien", "O'Connor", 'McDonald', 'MacKenzie', 'Van Buren', 'St. John', 'Fitzgerald', 'Schneider', 'Kowalski', 'Novak',
  'Fischer', 'Weber', 'Murray', 'Ford', 'Hamilton', 'Graham', 'Wallace', 'Cole', 'West', 'Jordan',
];

/** Common middle initials for US records. */
export const EN_MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW';
