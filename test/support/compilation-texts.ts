/**
 * The texts the compilation tests import: Resolution 214 as the base, and a whole-resolution MOD
 * pasted by Kenya (Africa's AFR/7/1); ATU's provision ADD and SUP proposals with reasons. The
 * third source, Brazil's, is the Word file with tracked changes (test/fixtures/docx).
 */
export const BASE = [
  'RESOLUTION 214 (REV. BUCHAREST, 2022)',
  'Artificial intelligence technologies and telecommunications/information and communication technologies',
  'The Plenipotentiary Conference of the International Telecommunication Union (Bucharest, 2022),',
  'considering',
  'a)\tthat artificial intelligence (AI) technologies are increasingly used in telecommunications/ICTs;',
  'b)\tthat AI can contribute to the Sustainable Development Goals and to the WSIS action lines;',
  'c)\tthe work of ITU on AI for good,',
  'resolves',
  '1\tto continue to study AI technologies in the three Sectors;',
  '2\tto promote international cooperation on AI for telecommunications/ICTs;',
  '3\tto report to the next Plenipotentiary Conference.',
].join('\n');

/** Kenya: the whole resolution pasted with resolves 2 changed, and its reasons. */
export const KENYA = [
  'MOD\tAFR/7/1',
  BASE.replace(
    '2\tto promote international cooperation on AI for telecommunications/ICTs;',
    '2\tto promote international and regional cooperation on AI for telecommunications/ICTs, in particular with developing countries;',
  ),
].join('\n');

/** ATU: a provision added at the end of resolves, and considering c) deleted, each with its reasons. */
export const ATU = [
  'ADD\tATU/30/1',
  'resolves',
  '4\tto invite Member States to share their national AI strategies;',
  'Reasons:\tTo learn from each other’s experience.',
  'SUP\tATU/30/2',
  'considering',
  'c)\tthe work of ITU on AI for good,',
  'Reasons:\tCovered by Resolution 140.',
].join('\n');
