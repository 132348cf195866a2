// French names for generated pupils and teachers. Accents, apostrophes, hyphens and particles are
// deliberate: they are what breaks encodings (ISO-8859-15 in SIECLE, UTF-8 in LSU) and name
// matching (SIECLE looks a pupil up by name + birth date when no identifier matches).

export const GIRLS_FIRST_NAMES = [
  'Élodie', 'Gaëlle', 'Noémie', 'Chloé', 'Léa', 'Inès', 'Maëlys', 'Zoé', 'Anaïs', 'Héloïse',
  'Camille', 'Manon', 'Jade', 'Louise', 'Emma', 'Ambre', 'Lina', 'Clémence', 'Océane', 'Aïcha',
  'Françoise', 'Bérénice', 'Salomé', 'Agathe', 'Maëlle', 'Fatoumata', 'Yasmine', 'Rose', 'Mélissa', 'Énora',
] as const;

export const BOYS_FIRST_NAMES = [
  'Noël', 'Théo', 'Raphaël', 'Mathéo', 'Jérôme', 'Loïc', 'Gaël', 'Hugo', 'Lucas', 'Nathan',
  'Anthony', 'Maxime', 'Léo', 'Timothée', 'Benoît', 'Anaël', 'Yanis', 'Mamadou', 'Clément', 'Adrien',
  'Joël', 'Sébastien', 'Étienne', 'Jean-Baptiste', 'Kévin', 'Mohamed', 'Tom', 'Gabriel', 'Aurélien', 'Côme',
] as const;

export const LAST_NAMES = [
  "N'Diaye", 'Dos Santos', 'Lefèvre', 'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit', 'Durand',
  'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux',
  'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Chevalier',
  'François', 'Legrand', 'Gauthier', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Rousseau',
  'Mathieu', 'Gaillard', 'Müller', 'Lemaître', "D'Almeida", 'Le Goff', 'Ben Saïd', 'Nguyen', 'Wamytan', 'Gorodey',
  'Ouvéa', 'Kanaké', 'Poédi', 'Tjibaou', 'Hnawia', 'Faure', 'Lacroix', 'Béranger', 'Noël', 'Saint-Pierre',
] as const;
